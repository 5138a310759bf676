/** A matter type as the classifier sees it. */
export interface MatterForClassifier {
  code: string;
  name: string;
  keywords: readonly string[];
}

export interface MatterSuggestion {
  code: string;
  name: string;
  score: number;
  matched: string[];
}

/**
 * Suggests matter types for a citizen's words by the catalogue's names, keywords and synonyms: a keyword
 * counts once, longer matches weigh more (they are more specific), and the name counts double.
 */
export function suggestMatterTypes(text: string, catalogue: readonly MatterForClassifier[], limit = 3): MatterSuggestion[] {
  const haystack = text.replace(/\s+/g, '').toLowerCase();
  if (!haystack) return [];
  const scored: MatterSuggestion[] = [];
  for (const m of catalogue) {
    let score = 0;
    const matched: string[] = [];
    if (haystack.includes(m.name.toLowerCase())) {
      score += 2 * m.name.length;
      matched.push(m.name);
    }
    for (const k of new Set(m.keywords)) {
      if (k && haystack.includes(k.toLowerCase()) && !matched.includes(k)) {
        score += k.length;
        matched.push(k);
      }
    }
    if (score > 0) scored.push({ code: m.code, name: m.name, score, matched });
  }
  return scored.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)).slice(0, limit);
}

/** Great-circle distance in metres. */
export function distanceMetres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** The box of ±metres around a point, in degrees: a cheap prefilter before the exact distance. */
export function boxAround(p: { lng: number; lat: number }, metres: number) {
  const dLat = metres / 111_320;
  const dLng = metres / (111_320 * Math.max(0.01, Math.cos((p.lat * Math.PI) / 180)));
  return { minLng: p.lng - dLng, maxLng: p.lng + dLng, minLat: p.lat - dLat, maxLat: p.lat + dLat };
}

/** The common upper jurisdiction of two paths ('990100/990102/…'): where a cross-region matter goes. */
export function commonAncestor(pathA: string, pathB: string): string | null {
  const a = pathA.split('/');
  const b = pathB.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i === 0 ? null : a[i - 1]!;
}
