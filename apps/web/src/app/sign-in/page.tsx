import type { Metadata } from 'next';
import { BrandMark } from '@/components/brand-mark';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

const REASONS: Record<string, string> = {
  expired: 'Your session ended: the API no longer accepts that key. Sign in again.',
  'signed-out': 'You are signed out.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const reason = (await searchParams).reason;
  const notice = typeof reason === 'string' ? REASONS[reason] : undefined;
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <h1>
          <BrandMark /> Helix-Throttle
        </h1>
        <p className="muted">Real-time genomic stream processing. Sign in with an operator or viewer key.</p>
        {notice ? (
          <p className={reason === 'expired' ? 'notice notice-warning' : 'notice'} role="status">
            {notice}
          </p>
        ) : null}
        <SignInForm />
      </div>
    </main>
  );
}
