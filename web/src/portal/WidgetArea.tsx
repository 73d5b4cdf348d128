export default function WidgetArea() {
  return <p>WidgetArea</p>;
}
