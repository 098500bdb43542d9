// Keywords per theme by class-based TF-IDF: how much more of the theme's vocabulary a term is than of everyone's.

export interface KeywordOptions {
  /** Keywords per theme. */
  top: number;
  /** Texts of the theme a term must occur in (one quirky review is not a theme's vocabulary). */
  minTexts: number;
}

/**
 * terms[i] are text i's distinct terms, labels[i] its theme (-1 unassigned, which still counts as "the rest").
 * Score of term t in theme c: tf · log(tf / tfAll), tf being t's share of the theme's term occurrences (one per
 * text) and tfAll its share over all texts. This is class-based TF-IDF with the inverse frequency taken against
 * the rest: words every theme uses ("taste", "good") score near 0 and only over-represented terms qualify. (The
 * log(1 + A / f) weighting of BERTopic left those common words in every theme's top 10 on the reviews.) A chosen
 * term hides later ones sharing a word with it ("dog food", then "dog").
 */
export function classTfIdfKeywords(
  terms: readonly Set<string>[],
  labels: readonly number[],
  themes: number,
  opts: KeywordOptions,
): string[][] {
  const perTheme = Array.from({ length: themes }, () => new Map<string, number>());
  const overall = new Map<string, number>();
  for (let i = 0; i < terms.length; i++) {
    const counts = labels[i] >= 0 ? perTheme[labels[i]] : undefined;
    for (const t of terms[i]) {
      overall.set(t, (overall.get(t) ?? 0) + 1);
      if (counts) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
  }
  const totals = perTheme.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
  const grandTotal = [...overall.values()].reduce((a, b) => a + b, 0);
  return perTheme.map((counts, c) => {
    const scored: { term: string; score: number }[] = [];
    for (const [term, n] of counts) {
      if (n < opts.minTexts) continue;
      const tf = n / totals[c];
      const lift = tf / (overall.get(term)! / grandTotal);
      if (lift > 1) scored.push({ term, score: tf * Math.log(lift) });
    }
    scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1));
    return pickDistinct(
      scored.map((s) => s.term),
      opts.top,
    );
  });
}

/** Best-first terms, skipping a word already inside a chosen bigram and a bigram sharing a word with one chosen. */
function pickDistinct(ranked: readonly string[], top: number): string[] {
  const chosen: string[] = [];
  const covered = new Set<string>();
  for (const term of ranked) {
    if (chosen.length >= top) break;
    const parts = term.split(' ');
    if (parts.some((p) => covered.has(p))) continue;
    chosen.push(term);
    for (const p of parts) covered.add(p);
  }
  return chosen;
}
