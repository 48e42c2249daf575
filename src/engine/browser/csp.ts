/** The directives that govern a `<script src>`, most specific first (CSP 3's fallback list). */
const SCRIPT_DIRECTIVES = ['script-src-elem', 'script-src', 'default-src'];

const NONCE = /'nonce-([A-Za-z0-9+/_=-]+)'/;

/**
 * The nonce a page's Content-Security-Policy lets scripts carry, so the injected script can carry
 * it too; undefined when the policy names none (or there is no policy). The enforced policy comes
 * first; a report-only one is read too, so the script does not fill the program's reports.
 */
export function scriptNonce(rawHeaders: readonly string[]): string | undefined {
  const policies: string[] = [];
  const reportOnly: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (name === 'content-security-policy') policies.push(rawHeaders[i + 1]);
    else if (name === 'content-security-policy-report-only') reportOnly.push(rawHeaders[i + 1]);
  }
  for (const header of [...policies, ...reportOnly]) {
    // One header may hold several policies (comma-separated), each a list of directives.
    for (const policy of header.split(',')) {
      const directives = new Map<string, string>();
      for (const directive of policy.split(';')) {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values.join(' '));
      }
      const governing = SCRIPT_DIRECTIVES.find((d) => directives.has(d));
      const nonce = governing ? NONCE.exec(directives.get(governing)!)?.[1] : undefined;
      if (nonce) return nonce;
    }
  }
  return undefined;
}
