/** Loads once per key: {data, error, loading}; a newer key wins over a slower older answer. */
import { useEffect, useState } from 'react';

export const useLoad = <T,>(load: () => Promise<T>, key: unknown[]): { data?: T; error?: string; loading: boolean; reload: () => void } => {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (e: Error) => live && setState({ error: e.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
};

export const Status = ({ loading, error }: { loading: boolean; error?: string }) =>
  error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : loading ? (
    <p className="muted">Loading…</p>
  ) : null;
