// ES module entry: the same API as index.js (CommonJS).
import fst24 from './index.js';

export const { open, openAsync, FstFile, RECORD_FIELDS } = fst24;
export default fst24;
