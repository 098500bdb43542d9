// A half-open character range [start, end) into the original text, the currency every explain step passes along.
export interface TextSpan {
  start: number;
  end: number;
}
