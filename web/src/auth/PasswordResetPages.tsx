import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { post } from '../api/client';
import { ErrorMessage, Field } from '../shared/components';

/** Asks for a reset link; the answer is the same whether or not the email has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: () => post('/auth/password-reset', { email }) });

  function submit(e: FormEvent) {
    e.preventDefault();
    request.mutate();
  }

  return (
    <section className="login card">
      <h1>{t('reset.forgotTitle')}</h1>
      {request.isSuccess ? (
        <p role="status" className="notice">
          {t('reset.sent', { email })}
        </p>
      ) : (
        <form onSubmit={submit}>
          <Field label={t('login.email')}>
            <input
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <ErrorMessage error={request.error} />
          <button type="submit" className="primary" disabled={request.isPending}>
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
  const reset = useMutation({ mutationFn: () => post('/auth/password-reset/confirm', { token, password }) });

  function submit(e: FormEvent) {
    e.preventDefault();
    reset.mutate();
  }

  return (
    <section className="login card">
      <h1>{t('reset.title')}</h1>
      {reset.isSuccess ? (
        <p role="status" className="notice">
          {t('reset.done')} <Link to="/login">{t('login.submit')}</Link>
        </p>
      ) : (
        <form onSubmit={submit}>
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
          <ErrorMessage error={reset.error} />
          <button type="submit" className="primary" disabled={reset.isPending || !token}>
            {t('reset.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
