package results

// EncodeJSON lets the external tests (package results_test, which may
// use the shared fixture) reach the file encoder.
var EncodeJSON = encodeJSON
