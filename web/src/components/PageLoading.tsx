// plain CSS so that the entry chunk needs no antd component to show progress
export function PageLoading() {
  return (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', minHeight: 240, height: '100%' }} aria-busy="true">
      <div className="zhili-spinner" />
    </div>
  );
}
