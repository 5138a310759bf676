import type { Config } from '../config.js';

/**
 * The origin (scheme, host, port) of a Leaflet tile template, as a CSP source: `https://t{s}.tianditu.gov.cn/…`
 * → `https://*.tianditu.gov.cn` (a placeholder in the host widens its first label to a wildcard). Null when the
 * template is not an absolute http(s) URL.
 */
export function tileSource(template: string): string | null {
  const m = /^(https?):\/\/([^/?#]+)/i.exec(template.trim());
  if (!m) return null;
  const [, scheme, authority] = m as unknown as [string, string, string];
  const [host = '', port] = authority.split(/:(?=[^:]*$)/);
  if (/[^a-z0-9.{}\-_]/i.test(host) || (port !== undefined && !/^(\d+|\{[a-z]+\})$/i.test(port))) return null;
  const labels = host.toLowerCase().split('.');
  const wild = labels.findIndex((l) => l.includes('{'));
  // a placeholder in the host: everything up to its label becomes one wildcard label, which CSP allows only leftmost
  const hostSource = wild < 0 ? labels.join('.') : labels.slice(wild + 1).length >= 2 ? `*.${labels.slice(wild + 1).join('.')}` : null;
  if (!hostSource || hostSource.includes('{')) return null;
  const portSource = port === undefined ? '' : port.startsWith('{') ? ':*' : `:${port}`;
  return `${scheme.toLowerCase()}://${hostSource}${portSource}`;
}

/**
 * The console's Content-Security-Policy: scripts only from the server itself (the build has no inline script),
 * styles also inline (Ant Design writes its CSS at run time), images also from the configured tile host, nothing
 * framed, no plugins, forms and base URI to the server.
 */
export function contentSecurityPolicy(config: Pick<Config, 'mapTileUrl'>): string {
  const tiles = config.mapTileUrl ? tileSource(config.mapTileUrl) : null;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tiles ? ` ${tiles}` : ''}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every answer; a route that set its own Content-Security-Policy (attachments, the API docs) keeps it. */
export function securityHeaders(config: Pick<Config, 'mapTileUrl' | 'secureCookies'>): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(config),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // the grid worker's phone page asks where it stands; nothing else needs a device
    'Permissions-Policy': 'geolocation=(self), camera=(), microphone=(), payment=(), usb=()',
    ...(config.secureCookies ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
