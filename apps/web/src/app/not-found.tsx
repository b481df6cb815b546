import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <h1>Not found</h1>
        <p>There is no such page or run.</p>
        <p>
          <Link href="/runs">All runs</Link> · <Link href="/">Overview</Link>
        </p>
      </div>
    </main>
  );
}
