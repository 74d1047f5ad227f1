"""The scenario activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="scenario",
    # the content model and the starter YAML
    model=".model:Scenario",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:scenario_page",
    boards=".view:scenario_boards",
    prebuilt=False,
    answer=".example:answer",
)
