import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import type { DemoLogin } from '../../../src/seed/demo-people';
import { ApiError, get } from '../api/client';
import { ErrorMessage, Field, useLocale } from '../shared/components';
import { humanizeSeconds } from '../shared/format';
import { homeFor, useSession } from './session';
import './login.css';

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

interface Credentials {
  email: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { user, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signInNow = useMutation({
    mutationFn: (credentials: Credentials) => signIn(credentials.email, credentials.password),
    onSuccess: (signedIn) =>
      void navigate(safeNext(params.get('next')) ?? homeFor(signedIn), { replace: true }),
  });
  if (user) return <Navigate to={safeNext(params.get('next')) ?? homeFor(user)} replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    signInNow.mutate({ email, password });
  }

  function tryDemoLogin(login: Credentials) {
    setEmail(login.email);
    setPassword(login.password);
    signInNow.mutate(login);
  }

  return (
    <>
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
          <SignInError error={signInNow.error} failedAt={signInNow.submittedAt} />
          <button type="submit" className="primary" disabled={signInNow.isPending}>
            {t('login.submit')}
          </button>
        </form>
        <p>
          <Link to="/forgot-password">{t('reset.forgot')}</Link>
        </p>
      </section>
      <DemoLogins onTry={tryDemoLogin} busy={signInNow.isPending} />
    </>
  );
}

/**
 * Why signing in failed, in the reader's language: the API's problem titles ("Unauthorized") are
 * for programs. A refusal for too many attempts says when to try again.
 */
function SignInError({ error, failedAt }: { error: unknown; failedAt: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 429))
    return <ErrorMessage error={error} />;
  let text = t('login.wrongCredentials');
  if (error.status === 429) {
    const retryAfter = (error.problem as { retryAfter?: unknown }).retryAfter;
    text =
      typeof retryAfter === 'number' && retryAfter > 0
        ? t('login.tooManyAttempts', {
            // Whole minutes: a wait of 14 minutes 32 seconds reads as 15 minutes.
            wait: humanizeSeconds(retryAfter < 60 ? retryAfter : Math.ceil(retryAfter / 60) * 60, locale),
            at: new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', { timeStyle: 'short' }).format(
              failedAt + retryAfter * 1000,
            ),
          })
        : t('login.tooManyAttemptsLater');
  }
  return (
    <div role="alert" className="error">
      <strong>{text}</strong>
    </div>
  );
}

/** The demo desk's people to try; any other desk answers 404 and the page names no one. */
async function fetchDemoLogins(): Promise<DemoLogin[]> {
  try {
    return (await get<{ logins: DemoLogin[] }>('/demo')).logins;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}

/** On a demo desk only: one login per role, each signed in with one click. */
function DemoLogins({ onTry, busy }: { onTry: (login: Credentials) => void; busy: boolean }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['demo-logins'],
    queryFn: fetchDemoLogins,
    staleTime: Infinity,
    retry: false,
  });
  const logins = query.data ?? [];
  if (logins.length === 0) return null;
  return (
    <section className="demo-logins card" aria-labelledby="demo-logins-title">
      <h2 id="demo-logins-title">{t('login.demo.title')}</h2>
      <p>{t('login.demo.intro')}</p>
      <table className="responsive">
        <thead>
          <tr>
            <th scope="col">{t('login.demo.role')}</th>
            <th scope="col">{t('login.demo.person')}</th>
            <th scope="col">{t('login.email')}</th>
            <th scope="col">{t('login.password')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('login.demo.try')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {logins.map((login) => (
            <tr key={login.email} data-testid="demo-login">
              <th scope="row">
                {t(`role.${login.role}`)}
                {login.locale === 'fr' && <span className="demo-language"> · {t('languageName.fr')}</span>}
              </th>
              <td>
                {login.name}
                {login.organization && (
                  <span className="muted">
                    {' '}
                    ·{' '}
                    {t('login.demo.organization', {
                      name: login.organization.name,
                      tier: t(`tier.${login.organization.tier ?? 'basic'}`),
                    })}
                  </span>
                )}
              </td>
              <td>
                <code>{login.email}</code>
              </td>
              <td>
                <code>{login.password}</code>
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => onTry(login)}
                  disabled={busy}
                  aria-label={t('login.demo.tryAs', { name: login.name })}
                >
                  {t('login.demo.try')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
