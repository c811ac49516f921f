// A page-filling message with a way home (no access, an invalid invite link).
export function Notice({ title, detail }: { title: string; detail: string }) {
  return (
    <main class="notice" data-testid="notice">
      <h1>{title}</h1>
      <p class="muted">{detail}</p>
      <a href="/" class="button primary" data-testid="go-home">Go to your boards</a>
    </main>
  );
}
