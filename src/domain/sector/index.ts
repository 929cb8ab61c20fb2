export { classifySector, normaliseSector, SECTOR_ETFS } from './classify-sector.ts';
export type { SectorClass, SectorHolding, UnclassifiedReason } from './classify-sector.ts';
export { computeSectorExposure } from './compute-sector-exposure.ts';
export type { SectorDifference, SectorExposure } from './compute-sector-exposure.ts';
export { GICS_SECTORS, SP500_SECTOR_WEIGHTS } from './sp500-sector-weights.ts';
export type { GicsSector, SectorBenchmark } from './sp500-sector-weights.ts';
