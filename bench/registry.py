"""Every bench case, in the order `python -m bench` runs them (imports Django models: set Django up first)."""


def all_cases() -> list:
    from bench import (
        api_cases,
        case_cases,
        core_cases,
        document_cases,
        growth_cases,
        intake_cases,
        livelihood_cases,
        report_cases,
        roster_cases,
        station_cases,
        suggestion_cases,
        training_cases,
    )

    return [
        *core_cases.CASES,
        *roster_cases.CASES,
        *station_cases.CASES,
        *suggestion_cases.CASES,
        *document_cases.CASES,
        *report_cases.CASES,
        *training_cases.CASES,
        *case_cases.CASES,
        *livelihood_cases.CASES,
        *api_cases.CASES,
        *growth_cases.CASES,
        *intake_cases.CASES,
    ]
