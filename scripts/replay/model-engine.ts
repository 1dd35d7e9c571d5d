// The replay Engine backed by the in-memory model (src/domain/engine).
import { ModelEngine } from '../../src/domain/engine';
import type { Engine } from './engine';

export async function createModelEngine(): Promise<Engine> {
  const model = new ModelEngine({ log: false });
  return {
    async apply(event) {
      model.apply(event);
    },
    async state() {
      return model.state();
    },
    async close() {},
  };
}
