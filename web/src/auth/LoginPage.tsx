import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorMessage, Field } from '../shared/components';
import { homeFor, useSession } from './session';

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { user, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signInNow = useMutation({
    mutationFn: () => signIn(email, password),
    onSuccess: (signedIn) =>
      void navigate(safeNext(params.get('next')) ?? homeFor(signedIn), { replace: true }),
  });
  if (user) return <Navigate to={safeNext(params.get('next')) ?? homeFor(user)} replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    signInNow.mutate();
  }

  return (
    <section className="login card">
      <h1>{t('login.title')}</h1>
      <form onSubmit={submit}>
        <Field label={t('login.email')}>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label={t('login.password')}>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <ErrorMessage error={signInNow.error} />
        <button type="submit" className="primary" disabled={signInNow.isPending}>
          {t('login.submit')}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">{t('reset.forgot')}</Link>
      </p>
    </section>
  );
}
