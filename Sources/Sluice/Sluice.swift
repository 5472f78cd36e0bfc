// The library Swift users import: `import Sluice` brings the core types (readers, lines, rings,
// sinks, errors) and the codec adapters (gzip, zlib, xz, lzip, lzma) in one module.
@_exported import SluiceCore
@_exported import SluiceCodecs
