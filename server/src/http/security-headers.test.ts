import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders, tileSource } from './security-headers.js';

describe('tileSource', () => {
  it('turns a tile template into the CSP source of its origin', () => {
    expect(tileSource('https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&tk=KEY&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}')).toBe('https://*.tianditu.gov.cn');
    expect(tileSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
    expect(tileSource('http://127.0.0.1:8088/tiles/{z}/{x}/{y}.png')).toBe('http://127.0.0.1:8088');
    expect(tileSource('HTTPS://Tiles.Example.com/{z}/{x}/{y}.png')).toBe('https://tiles.example.com');
  });

  it('refuses what cannot be a source: relative, other schemes, a wildcard too wide, odd characters', () => {
    expect(tileSource('/tiles/{z}/{x}/{y}.png')).toBeNull();
    expect(tileSource('javascript:alert(1)')).toBeNull();
    expect(tileSource('https://{s}.com/{z}')).toBeNull();
    expect(tileSource("https://evil.example; script-src 'unsafe-inline'/x")).toBeNull();
    expect(tileSource('')).toBeNull();
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts from the server only, and images from the tile host', () => {
    const csp = contentSecurityPolicy({ mapTileUrl: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY' });
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("img-src 'self' data: blob: https://*.tianditu.gov.cn;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(contentSecurityPolicy({ mapTileUrl: '' })).toContain("img-src 'self' data: blob:;");
  });

  it('adds HSTS only behind HTTPS', () => {
    expect(securityHeaders({ mapTileUrl: '', secureCookies: false })['Strict-Transport-Security']).toBeUndefined();
    expect(securityHeaders({ mapTileUrl: '', secureCookies: true })['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
  });
});
