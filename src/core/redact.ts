/** Replaces every occurrence of the secret (and a Bearer header of any value) so that logs and messages never carry it. */
export function redactSecret(text: string, secret: string | undefined): string {
  let out = text.replace(/(Bearer\s+)[^\s"',]+/gi, '$1[redacted]');
  if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
