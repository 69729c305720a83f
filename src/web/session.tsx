/** The signed-in user's session, loaded once from GET /api/session and replaced on sign-in. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, rememberSession, type SessionView } from './api.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; /** True right after the person signed out here. */ signedOut: boolean }
  | { status: 'error'; message: string }
  | { status: 'signed-in'; session: SessionView };

interface SessionContextValue {
  state: SessionState;
  /** Stores a SessionView from sign-in, setup or accepting an invitation (null: signed out). */
  setSession(session: SessionView | null, options?: { signedOut?: boolean }): void;
  /** Reloads the session (campaigns and abilities change when roles do). */
  refresh(): Promise<SessionView | null>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const setSession = useCallback((session: SessionView | null, options?: { signedOut?: boolean }) => {
    rememberSession(session);
    setState(
      session ? { status: 'signed-in', session } : { status: 'signed-out', signedOut: options?.signedOut === true },
    );
  }, []);

  const refresh = useCallback(async () => {
    try {
      const session = await api.session();
      setSession(session);
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setSession(null);
      } else {
        rememberSession(null);
        setState({
          status: 'error',
          message: error instanceof Error ? error.message : 'The session could not be loaded.',
        });
      }
      return null;
    }
  }, [setSession]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ state, setSession, refresh }), [state, setSession, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The current session; only for components rendered inside <RequireSession>. */
export function useSignedIn(): Omit<SessionContextValue, 'state'> & { session: SessionView } {
  const { state, setSession, refresh } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn outside a signed-in route');
  return { session: state.session, setSession, refresh };
}
