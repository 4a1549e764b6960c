"""After a restore: a supervisor confirms the counter works offline for good, so it may issue codes again."""

from __future__ import annotations

from counter.context import CounterContext
from counter.custody import audit
from counter.errors import CounterError
from counter.store.models import RESTORED_KEY, SyncState


def confirm_offline(ctx: CounterContext, supervisor: str) -> None:
    """Lift the restore's hold on new dossier codes without a sync; audited (`restore_confirm_offline`)."""
    with ctx.store.write() as session:
        flag = session.get(SyncState, RESTORED_KEY)
        if flag is None or not flag.value:
            raise CounterError("Quầy không ở trạng thái vừa khôi phục; không cần xác nhận làm việc ngoại tuyến.")
        restored_at = flag.value
        session.delete(flag)
        audit.record(session, supervisor, "restore_confirm_offline", "sync", ctx.config.counter.id,
                     f"khôi phục lúc {restored_at}; cấp mã tiếp mà không đồng bộ")
