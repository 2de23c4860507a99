import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.messages import format_serial_list
from ..tools.opening_stock import CHUNK_SIZE, OpeningStockPlan, create_opening_stock_job


class SerialOpeningStockWizard(models.TransientModel):
    """Load opening stock serials from a file: check it whole, then let the worker load it."""

    _name = "serial.opening.stock.wizard"
    _description = "Load Opening Stock Serials"

    file = fields.Binary(required=True, attachment=False, help="An .xlsx, .xls or .csv file.")
    file_name = fields.Char()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    state = fields.Selection(
        [("new", "New"), ("checked", "Checked"), ("problems", "Problems")], default="new", required=True
    )
    summary = fields.Text(readonly=True)
    problems = fields.Text(readonly=True)

    @api.onchange("file", "company_id")
    def _onchange_file(self):
        self.update({"state": "new", "summary": False, "problems": False})

    @api.model
    def _serial_load_file(self, data, file_name, company=None, chunk_size=None):
        """For the command line (``serials opening-stock``): check the file and, when it is clean,
        create its job. ``company``: a company's id or name (default: the environment's).
        Returns {"problems": [...]} (nothing written) or {"job_id": id, "total": serials}; a file
        that cannot be read at all, or an unknown company, raises UserError."""
        companies = self.env["res.company"]
        if company and str(company).isdigit():
            companies = companies.browse(int(company)).exists()
        elif company:
            companies = companies.search([("name", "=", company)])
        else:
            companies = self.env.company
        if len(companies) != 1:
            raise UserError(_("No single company %(company)s.", company=company))
        env = self.with_company(companies).env
        plan = OpeningStockPlan(env, data, file_name, companies)
        if plan.problems:
            return {"problems": plan.messages}
        job = create_opening_stock_job(plan, chunk_size=chunk_size or CHUNK_SIZE)
        return {"job_id": job.id, "total": job.total_count}

    def _plan(self):
        self.ensure_one()
        if not self.file_name:
            raise UserError(_("Name the file: its extension (.xlsx, .xls or .csv) tells how to read it."))
        return OpeningStockPlan(self.env, base64.b64decode(self.file), self.file_name, self.company_id)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Load Opening Stock Serials"),
        }

    def action_check(self):
        """Check the file without writing anything; say what it would load or what is wrong."""
        plan = self._plan()
        if plan.problems:
            self.write(
                {
                    "state": "problems",
                    "summary": _(
                        "%(count)s problem(s); nothing can be loaded until they are fixed.", count=len(plan.problems)
                    ),
                    "problems": format_serial_list(self.env, plan.messages),
                }
            )
        else:
            self.write(
                {
                    "state": "checked",
                    "summary": _(
                        "%(count)s serial(s) of %(products)s product(s) at %(locations)s location(s) "
                        "are ready to load.",
                        count=plan.total,
                        products=len(plan.products),
                        locations=len(plan.locations),
                    ),
                    "problems": False,
                }
            )
        return self._reopen()

    def action_load(self):
        """Check again, then queue the load for the worker and show its job."""
        plan = self._plan()
        if plan.problems:
            raise UserError(
                _(
                    "Nothing was loaded: %(count)s problem(s) in %(file)s:\n%(problems)s",
                    count=len(plan.problems),
                    file=self.file_name,
                    problems=format_serial_list(self.env, plan.messages),
                )
            )
        job = create_opening_stock_job(plan)
        job._enqueue()
        return {
            "type": "ir.actions.act_window",
            "res_model": "serial.job",
            "res_id": job.id,
            "view_mode": "form",
            "target": "current",
        }
