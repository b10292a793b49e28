// Reads byte ranges of a Blob off the page's main thread (fst24.js BlobSource): a composite
// Blob of many slices costs the thread that reads it several times the CPU of one slice
// (BENCHMARKS.md, session 6); here that thread is this worker, and the bytes are handed
// back without a copy (a transferred ArrayBuffer).
// Message in: { id, blob, ranges: [offset, length, ...] }; out: { id, bytes } or { id, error }.
onmessage = async ({ data: { id, blob, ranges } }) => {
  try {
    const parts = [];
    for (let i = 0; i < ranges.length; i += 2) parts.push(blob.slice(ranges[i], ranges[i] + ranges[i + 1]));
    const bytes = await (parts.length === 1 ? parts[0] : new Blob(parts)).arrayBuffer();
    postMessage({ id, bytes }, [bytes]);
  } catch (err) {
    postMessage({ id, error: `${err.name}: ${err.message}` });
  }
};
