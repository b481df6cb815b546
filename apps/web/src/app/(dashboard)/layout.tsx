import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { BrandMark } from '@/components/brand-mark';
import { GraphQLProvider } from '@/components/graphql-provider';
import { NavLinks } from '@/components/nav-links';
import { ThemeToggle } from '@/components/theme-toggle';
import { currentSession } from '@/server/session';
import { signOut } from '../sign-in/actions';

/** Every dashboard page: signed in only, one header, one urql client. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  if (!session) redirect('/sign-in');
  return (
    <GraphQLProvider>
      <header className="app-header">
        <nav aria-label="Main" className="app-nav">
          <a href="/" className="brand">
            <BrandMark /> Helix-Throttle
          </a>
          <NavLinks />
        </nav>
        <div className="header-actions">
          <span className={`role-badge role-${session.role}`}>
            Signed in as <strong>{session.role}</strong>
          </span>
          <ThemeToggle />
          <form action={signOut}>
            <button type="submit" className="button button-ghost">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="app-main">
        {children}
      </main>
    </GraphQLProvider>
  );
}
