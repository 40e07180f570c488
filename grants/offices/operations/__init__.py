"""What can be done with offices: create one, find one, load its areas."""
