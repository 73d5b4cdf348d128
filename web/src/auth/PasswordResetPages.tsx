import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { post } from '../api/client';
import { ErrorMessage, Field } from '../shared/components';

/** Asks for a reset link; the answer is the same whether or not the email has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/auth/password-reset', { email });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="login card">
      <h1>{t('reset.forgotTitle')}</h1>
      {sent ? (
        <p role="status" className="notice">
          {t('reset.sent', { email })}
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Field label={t('login.email')}>
            <input
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <ErrorMessage error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {t('reset.send')}
          </button>
        </form>
      )}
      <p>
        <Link to="/login">{t('reset.backToSignIn')}</Link>
      </p>
    </section>
  );
}

/** The page the reset email links to: a new password for the account the link was sent for. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/auth/password-reset/confirm', { token, password });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="login card">
      <h1>{t('reset.title')}</h1>
      {done ? (
        <p role="status" className="notice">
          {t('reset.done')} <Link to="/login">{t('login.submit')}</Link>
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Field label={t('reset.newPassword')} hint={t('reset.passwordHint')}>
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <ErrorMessage error={error} />
          <button type="submit" className="primary" disabled={busy || !token}>
            {t('reset.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
