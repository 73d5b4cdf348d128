export default function AdminArea() {
  return <p>AdminArea</p>;
}
