/** Entry: styles, then sign-in (local token or Cognito hosted UI, api/auth.ts), then the app. */
import { render } from 'preact';
import './styles/app.css';
import { initAuth, signInAgain, SignInError } from './api/auth';
import { App } from './app';

const root = document.getElementById('app')!;

function SignInProblem({ message, action, retry }: { message: string; action: string; retry: () => void }) {
  return (
    <main class="main">
      <div role="alert">
        <h1>Sign-in did not complete</h1>
        <p>{message}</p>
      </div>
      <button type="button" class="btn btn-primary" onClick={retry}>
        {action}
      </button>
    </main>
  );
}

initAuth().then(
  () => render(<App />, root),
  (err: unknown) => {
    const signIn = err instanceof SignInError;
    const message = err instanceof Error ? err.message : String(err);
    render(
      <SignInProblem
        message={signIn ? message : `The service could not be reached (${message}).`}
        action={signIn ? 'Sign in again' : 'Try again'}
        retry={() => (signIn ? void signInAgain() : location.reload())}
      />,
      root,
    );
  },
);
