// Running risk distribution for a batch job: counts per band and per risk decile, kept in O(1) memory.
import { BANDS, type Band } from '../score';

export interface RiskDistribution {
  bands: Record<Band, number>;
  /** deciles[i] counts risks in [i/10, (i+1)/10); 1.0 falls in the last one. */
  deciles: number[];
}

export class RiskSummary {
  private readonly bands = Object.fromEntries(BANDS.map((b) => [b, 0])) as Record<Band, number>;
  private readonly deciles = new Array<number>(10).fill(0);

  add(risk: number, band: Band): void {
    this.bands[band]++;
    this.deciles[Math.min(9, Math.max(0, Math.floor(risk * 10)))]++;
  }

  toJSON(): RiskDistribution {
    return { bands: { ...this.bands }, deciles: [...this.deciles] };
  }
}
