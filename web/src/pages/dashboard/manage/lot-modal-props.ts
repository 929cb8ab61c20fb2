import type { PositionDetail } from '../../../api/types.ts';

/** What every dialog acting on one lot (sell, remove) is given. */
export interface LotModalProps {
  portfolioId: string;
  lot: PositionDetail;
  onClose: () => void;
}
