// Public surface of the BERT-family ONNX exporter.
export { buildBertModel, type BuildBertOptions } from './bert';
export { addBertEncoder, type BertEncoderValues } from './bert-encoder';
