// Build-time stand-in for `yoga-layout` (and src/tui/yoga-ready.ts) in the CommonJS bundle, which
// cannot await at top level as yoga-layout's entry does. Ink only touches Yoga inside functions, so
// the object is filled in by yogaReady() before the console renders its first frame.
import { loadYoga } from 'yoga-layout/load';

export * from 'yoga-layout/load';

const Yoga = {};
export default Yoga;

let loading;
export function yogaReady() {
  loading ??= loadYoga().then((loaded) => {
    Object.assign(Yoga, loaded);
  });
  return loading;
}
