import { useTranslation } from 'react-i18next';

/** Good or bad, in words and colour. */
export function RatingText({ rating }: { rating: 'good' | 'bad' }) {
  const { t } = useTranslation('satisfaction');
  return <span className={`satisfaction-rating satisfaction-rating-${rating}`}>{t(`rating.${rating}`)}</span>;
}
