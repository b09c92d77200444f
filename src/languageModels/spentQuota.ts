import { RequestError } from '../core/errors';
import { readSettings } from '../settings';
import type { UsageService } from '../usage';

/**
 * The error for a model whose quota is spent, naming the fallback the settings give: VS Code's chat never moves to
 * another model's quota by itself, the user picks it.
 */
export function spentQuotaError(usage: UsageService, model: string): RequestError {
  const fallback = readSettings().fallbackModels.find((m) => m !== model && !usage.ledger.isExhausted(m));
  return new RequestError('quotaExhausted', { model, status: 429, suggestedModel: fallback });
}

/** A quota the server said is spent is remembered (the next request is refused before it is sent), with that error. */
export async function rememberSpentQuota(usage: UsageService, error: RequestError): Promise<RequestError> {
  if (error.kind !== 'quotaExhausted' || !error.details.model) return error;
  await usage.markExhausted(error.details.model);
  return spentQuotaError(usage, error.details.model);
}
