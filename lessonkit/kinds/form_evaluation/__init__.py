"""The form-evaluation activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="form-evaluation",
    # the content model and the starter YAML
    model="lessonkit.content:FormEvaluation",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.forms:forms_page",
    boards="lessonkit.components.forms:forms_boards",
    prebuilt=False,
)
