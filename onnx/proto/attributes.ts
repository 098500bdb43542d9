// Typed node attributes: a JS number cannot tell INT from FLOAT, so callers say which through these constructors.
import { onnx, type OnnxTypes } from './onnx-namespace';

const T = onnx.AttributeProto.AttributeType;

/** An attribute without its name; the builder names it from the key of the attribute record. */
export type AttrValue = Omit<OnnxTypes.IAttributeProto, 'name'> & { type: OnnxTypes.AttributeProto.AttributeType };

export const attr = {
  int: (i: number): AttrValue => ({ type: T.INT, i }),
  float: (f: number): AttrValue => ({ type: T.FLOAT, f }),
  ints: (ints: readonly number[]): AttrValue => ({ type: T.INTS, ints: [...ints] }),
  floats: (floats: readonly number[]): AttrValue => ({ type: T.FLOATS, floats: [...floats] }),
  string: (s: string): AttrValue => ({ type: T.STRING, s: new TextEncoder().encode(s) }),
  tensor: (t: OnnxTypes.ITensorProto): AttrValue => ({ type: T.TENSOR, t }),
};

export type Attrs = Record<string, AttrValue>;

export function toAttributeProtos(attrs: Attrs | undefined): OnnxTypes.IAttributeProto[] {
  if (!attrs) return [];
  return Object.entries(attrs).map(([name, value]) => ({ name, ...value }));
}
