export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-semibold">Leadline</h1>
      <p className="mt-2 text-slate-600">The Leads API is at /api/leads. See the README for examples.</p>
    </main>
  );
}
