"""The checklist activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="checklist",
    # the content model and the starter YAML
    model="lessonkit.content:Checklist",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.checklist:checklist_page",
    boards="lessonkit.components.checklist:checklist_boards",
    prebuilt=True,
)
