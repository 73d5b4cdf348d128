export default function PortalArea() {
  return <p>PortalArea</p>;
}
