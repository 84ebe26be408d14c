"""A parallel split that makes one task per item of a data source.

viewflow 2.4's open edition accepts no data source on Split (its PRO edition does); supporting
units need one contribution task each, so this small gateway adds exactly that.
"""
from __future__ import annotations

from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import Split, SplitActivation


class SplitEachActivation(SplitActivation):
    def activate(self):  # noqa: D102 - replaces SplitActivation.activate under the same FSM transition
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
                continue
            self.next_tasks.extend((node, item) for item in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")

    activate = SplitActivation.status.super()(activate)


class SplitEach(Split):
    activation_class = SplitEachActivation

    def Each(self, node, data_source):  # noqa: N802 - viewflow's builder style
        """Activate `node` once per item that `data_source(activation)` returns (possibly none)."""
        self._activate_next.append((node, None, data_source))
        return self
