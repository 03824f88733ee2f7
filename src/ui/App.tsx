export function App() {
  return (
    <main>
      <h1>MM Lab</h1>
      <p>Majorization–minimization versus gradient descent, trained live in your browser.</p>
    </main>
  );
}
