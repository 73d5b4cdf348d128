export default function ConsoleArea() {
  return <p>ConsoleArea</p>;
}
