export { type AsyncPredictor, toAsyncPredictor } from './async-predictor.js';
export { loadOnnxModel, type OnnxLoadOptions, type OnnxPredictor } from './onnx-predictor.js';
export type { OnnxSignature } from './onnx-signature.js';
