export function App() {
  return (
    <main>
      <h1>raftlite</h1>
      <p>Raft + SQLite, simulated in your browser.</p>
    </main>
  );
}
