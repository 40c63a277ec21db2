import { isEventualiError } from './eventuali.js';

/**
 * Runs `fn` again when it loses an optimistic-concurrency race (another writer changed an
 * aggregate it loaded), up to `attempts` times in all, with a short random pause. For work that
 * spans several aggregates; `store.update()` does the same for one.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isEventualiError(error, 'CONCURRENCY_CONFLICT') || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
