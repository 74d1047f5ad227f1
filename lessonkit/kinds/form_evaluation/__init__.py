"""The form-evaluation activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="form-evaluation",
    # the content model and the starter YAML
    model=".model:FormEvaluation",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:forms_page",
    boards=".view:forms_boards",
    prebuilt=False,
    answer=".example:answer",
)
