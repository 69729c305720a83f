/**
 * Loading a page's data: fetched on mount and again whenever `deps` change, `load` fetches
 * once more; a failure is kept as a sentence in `error` (the data stays), a success clears it.
 */
import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { describeError } from './api.js';
import { sentence } from './format.js';

export function useLoad<T>(fetch: () => Promise<T>, deps: DependencyList) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setData(await fetch());
      setError(null);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
    // `fetch` is a new function each render; `deps` are what it reads.
  }, deps);
  useEffect(() => {
    void load();
  }, [load]);
  return { data, setData, error, setError, load };
}

/** Calls `tick` every `ms` milliseconds while `active`. */
export function useInterval(active: boolean, tick: () => unknown, ms: number): void {
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => void tick(), ms);
    return () => window.clearInterval(timer);
  }, [active, tick, ms]);
}
