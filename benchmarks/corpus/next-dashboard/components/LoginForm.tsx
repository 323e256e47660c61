import { useState } from 'react';
import { signIn } from 'next-auth/react';

const ERRORS: Record<string, string> = {
  session: 'Your session has expired. Please sign in again.',
  token: 'Invalid token. Please sign in again.',
};

export default function LoginForm({ error }: { error?: string }) {
  const [loading, setLoading] = useState(false);

  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setLoading(true);
        await signIn('github');
      }}
    >
      {error && <p className="error">{ERRORS[error] ?? 'Something went wrong'}</p>}
      <button type="submit" disabled={loading}>
        {loading ? 'Redirecting…' : 'Sign in with GitHub'}
      </button>
    </form>
  );
}
