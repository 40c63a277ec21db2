/**
 * Keeps passwords out of everything the command prints: the password of `url` (as written and
 * decoded) and any `scheme://user:password@` in the text become `***`.
 */
export function redact(text: string, url?: string): string {
  let out = text;
  for (const secret of secretsOf(url)) out = out.split(secret).join('***');
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, '$1***@');
}

/** A URL with its password replaced by `***`, for showing which store a command opened. */
export function redactUrl(url: string): string {
  return redact(url, url);
}

function secretsOf(url: string | undefined): string[] {
  if (url === undefined) return [];
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return [];
  }
  if (password === '') return [];
  const secrets = [password];
  try {
    const decoded = decodeURIComponent(password);
    if (decoded !== password) secrets.push(decoded);
  } catch {
    // malformed percent-encoding: the raw form is the only one a message can hold
  }
  // A password of one or two characters would blank out unrelated text; the URL pattern still hides it in a URL.
  return secrets.filter((s) => s.length >= 3);
}
