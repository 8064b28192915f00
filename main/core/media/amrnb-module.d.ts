/** benz-amr-recorder ships no types for its worker body (src/amrnb.js: `module.exports = function () {…}`). */
declare module 'benz-amr-recorder/src/amrnb.js' {
  const amrnbWorker: () => void;
  export default amrnbWorker;
}
