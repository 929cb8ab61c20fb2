export default function RiskPage() {
  return null;
}
